using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.ReadModel.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WebhookDeliveries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "LastAttemptAt",
                table: "deliveries",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_deliveries_Channel_Recipient_Id",
                table: "deliveries",
                columns: new[] { "Channel", "Recipient", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_deliveries_Channel_Recipient_Id",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "LastAttemptAt",
                table: "deliveries");
        }
    }
}
