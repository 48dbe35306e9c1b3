using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Platform.ReadModel;

// For `dotnet ef migrations add` only (see README, "Database migrations"); the running services configure the real connection.
internal sealed class SqliteComplaintListDesign : IDesignTimeDbContextFactory<SqliteComplaintListStore>
{
    public SqliteComplaintListStore CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<SqliteComplaintListStore>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresComplaintListDesign : IDesignTimeDbContextFactory<PostgresComplaintListStore>
{
    public PostgresComplaintListStore CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<PostgresComplaintListStore>().UseNpgsql("Host=127.0.0.1;Database=design").Options);
}
