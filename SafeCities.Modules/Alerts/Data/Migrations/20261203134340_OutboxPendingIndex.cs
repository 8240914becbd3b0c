using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Alerts.Data.Migrations
{
    /// <inheritdoc />
    internal partial class OutboxPendingIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_incidents_opened_at_reactions_pending",
                schema: "alerts",
                table: "incidents",
                column: "opened_at",
                filter: "reactions_dispatched_at IS NULL AND status <> 'closed'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_incidents_opened_at_reactions_pending",
                schema: "alerts",
                table: "incidents");
        }
    }
}
