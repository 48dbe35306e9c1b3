using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.ReadModel.Migrations.Postgres
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
                    Id = table.Column<int>(type: "integer", nullable: false),
                    Value = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_complaint_list_version", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "complaint_list_version",
                columns: new[] { "Id", "Value" },
                values: new object[] { 1, 0L });

            // Every change of a complaint's row raises the list's version in its own transaction, whoever writes it
            // (once per statement; the row lock it takes is held to the commit, so list writes commit one at a time).
            migrationBuilder.Sql("""
                CREATE FUNCTION complaints_raise_list_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE complaint_list_version SET "Value" = "Value" + 1 WHERE "Id" = 1;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER complaints_raise_list_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaints
                    FOR EACH STATEMENT EXECUTE FUNCTION complaints_raise_list_version();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS complaints_raise_list_version ON complaints;
                DROP FUNCTION IF EXISTS complaints_raise_list_version();
                """);

            migrationBuilder.DropTable(
                name: "complaint_list_version");
        }
    }
}
