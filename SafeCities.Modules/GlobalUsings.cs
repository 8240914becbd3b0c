// Namespaces nearly every file of this project uses (one place instead of a using block in each file).
global using Mediator;
global using Microsoft.EntityFrameworkCore;
global using FluentValidation;
global using Microsoft.Extensions.Logging;
global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.Extensions.Options;
