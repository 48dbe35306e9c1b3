using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.ReadModel.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ListVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "complaint_list_version",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Value = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_complaint_list_version", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "complaint_list_version",
                columns: new[] { "Id", "Value" },
                values: new object[] { 1, 0L });

            // Every change of a complaint's row raises the list's version in its own transaction, whoever writes it.
            foreach (var change in new[] { "INSERT", "UPDATE", "DELETE" })
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER complaints_raise_list_version_{change.ToLowerInvariant()} AFTER {change} ON complaints
                    BEGIN UPDATE complaint_list_version SET "Value" = "Value" + 1 WHERE "Id" = 1; END;
                    """);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var change in new[] { "insert", "update", "delete" })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS complaints_raise_list_version_{change};");
            }

            migrationBuilder.DropTable(
                name: "complaint_list_version");
        }
    }
}
