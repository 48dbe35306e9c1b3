// Lets WebApplicationFactory<Program> find the entry point in functional tests.
public partial class Program;
