// Namespaces nearly every file of this project uses (one place instead of a using block in each file).
global using SafeCities.Tests.Infrastructure;
global using System.Net;
global using System.Net.Http.Json;
global using Microsoft.Extensions.DependencyInjection;
global using System.Text.Json.Nodes;
global using SafeCities.Modules.Shared.Security;
