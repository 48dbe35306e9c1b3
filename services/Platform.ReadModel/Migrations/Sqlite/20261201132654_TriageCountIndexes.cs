using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.ReadModel.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TriageCountIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_complaints_ExecutingOrganisation_Status_ServiceCode_FiledAt",
                table: "complaints",
                columns: new[] { "ExecutingOrganisation", "Status", "ServiceCode", "FiledAt" });

            migrationBuilder.CreateIndex(
                name: "IX_complaints_Municipality_Status_ServiceCode_FiledAt",
                table: "complaints",
                columns: new[] { "Municipality", "Status", "ServiceCode", "FiledAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_complaints_ExecutingOrganisation_Status_ServiceCode_FiledAt",
                table: "complaints");

            migrationBuilder.DropIndex(
                name: "IX_complaints_Municipality_Status_ServiceCode_FiledAt",
                table: "complaints");
        }
    }
}
