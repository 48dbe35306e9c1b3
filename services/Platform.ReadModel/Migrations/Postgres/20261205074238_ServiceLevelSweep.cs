using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.ReadModel.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ServiceLevelSweep : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "NextCheckAt",
                table: "complaints",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_complaints_NextCheckAt_Id",
                table: "complaints",
                columns: new[] { "NextCheckAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_complaints_NextCheckAt_Id",
                table: "complaints");

            migrationBuilder.DropColumn(
                name: "NextCheckAt",
                table: "complaints");
        }
    }
}
