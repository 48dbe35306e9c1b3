using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.ReadModel.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "complaints",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
                    ArrangementId = table.Column<string>(type: "TEXT", nullable: false),
                    Municipality = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ExecutingOrganisation = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    AuthorSubject = table.Column<string>(type: "TEXT", nullable: false),
                    ServiceCode = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: false),
                    FiledAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ResolveBy = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Overdue = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_complaints", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_complaints_ArrangementId_Status",
                table: "complaints",
                columns: new[] { "ArrangementId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_complaints_AuthorSubject_FiledAt",
                table: "complaints",
                columns: new[] { "AuthorSubject", "FiledAt" });

            migrationBuilder.CreateIndex(
                name: "IX_complaints_ExecutingOrganisation_FiledAt",
                table: "complaints",
                columns: new[] { "ExecutingOrganisation", "FiledAt" });

            migrationBuilder.CreateIndex(
                name: "IX_complaints_Municipality_FiledAt",
                table: "complaints",
                columns: new[] { "Municipality", "FiledAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "complaints");
        }
    }
}
