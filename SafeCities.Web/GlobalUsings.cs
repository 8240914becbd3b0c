// Namespaces nearly every file of this project uses (one place instead of a using block in each file).
global using Mediator;
global using Microsoft.AspNetCore.Mvc;
global using Microsoft.AspNetCore.Mvc.RazorPages;
global using SafeCities.Modules.Shared.Security;
global using SafeCities.Modules.Shared.Time;
