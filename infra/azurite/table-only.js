// Azurite's table service alone, for the Orleans cluster's membership table (see infra/Platform.AppHost/AzuriteResource.cs).
// Azurite's own table entry point closes cleanly on SIGINT only; the AppHost ends its processes with SIGTERM, which would
// otherwise end this one before its last changes are saved. A SIGTERM before the server has started ends it at once.
"use strict";
process.once("SIGTERM", () => {
  if (process.listenerCount("SIGINT") > 0) process.emit("SIGINT", "SIGINT");
  else process.exit(0);
});
require("./node_modules/azurite/dist/src/table/main.js");
