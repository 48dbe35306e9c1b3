// The physical limit of the stack for a read: Kestrel answering POST /graphql/{scenario} with bytes read from
// {folder}/{scenario}.json (the gateway's own answer, captured by the harness), nothing else in the pipeline.
var folder = args.SkipWhile(a => a != "--bodies").Skip(1).FirstOrDefault() ?? throw new ArgumentException("--bodies <folder> is required");
var bodies = Directory.GetFiles(folder, "*.json").ToDictionary(f => Path.GetFileNameWithoutExtension(f), File.ReadAllBytes);
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapPost("/graphql/{scenario}", async (HttpContext http, string scenario) =>
{
    await http.Request.Body.CopyToAsync(Stream.Null);
    if (!bodies.TryGetValue(scenario, out var body))
    {
        http.Response.StatusCode = StatusCodes.Status404NotFound;
        return;
    }
    http.Response.ContentType = "application/graphql-response+json; charset=utf-8";
    http.Response.ContentLength = body.Length;
    await http.Response.Body.WriteAsync(body);
});
app.Run();
