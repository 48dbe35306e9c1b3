using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.ReadModel.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PublicPlaces : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "PublicLatitude",
                table: "complaints",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "PublicLongitude",
                table: "complaints",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "UpdatedAt",
                table: "complaints",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // Rows written before: their last change is not known here, so their filing time stands in until the
            // complaint's next write; their public place is filled in on that write too.
            migrationBuilder.Sql("UPDATE complaints SET \"UpdatedAt\" = \"FiledAt\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PublicLatitude",
                table: "complaints");

            migrationBuilder.DropColumn(
                name: "PublicLongitude",
                table: "complaints");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "complaints");
        }
    }
}
