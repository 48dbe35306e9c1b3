using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.ReadModel.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EventsByArrangement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_events_ArrangementId_Sequence",
                table: "events",
                columns: new[] { "ArrangementId", "Sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_events_ArrangementId_Sequence",
                table: "events");
        }
    }
}
