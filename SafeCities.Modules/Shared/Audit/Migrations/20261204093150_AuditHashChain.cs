using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Shared.Audit.Migrations
{
    /// <inheritdoc />
    internal partial class AuditHashChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "hash",
                schema: "audit",
                table: "entries",
                type: "character(64)",
                fixedLength: true,
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "prev_hash",
                schema: "audit",
                table: "entries",
                type: "character(64)",
                fixedLength: true,
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "anchors",
                schema: "audit",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    last_id = table.Column<long>(type: "bigint", nullable: false),
                    last_hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    signature = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    public_key = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_anchors", x => x.day);
                });

            // The hash chain (ADR 0046): the canonical bytes of an entry (version 1, the same definition as AuditChainFormat.EntryContent for
            // external verifiers), a BEFORE INSERT trigger that serialises appends with a transaction-scoped advisory lock, takes the id only
            // then (so the chain's order is the id order) and links the entry to the last one; then every existing entry is hashed in id order.
            migrationBuilder.Sql("""
                CREATE FUNCTION audit.netstring(value text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
                    SELECT CASE WHEN value IS NULL THEN '-,' ELSE octet_length(convert_to(value, 'UTF8'))::text || ':' || value || ',' END $$;
                CREATE FUNCTION audit.entry_content_v1(id bigint, at timestamptz, actor text, module text, action text, purpose text, details jsonb, prev_hash text)
                    RETURNS bytea LANGUAGE sql STABLE AS $$
                    SELECT convert_to('safecities-audit-v1' || chr(10) || audit.netstring(id::text)
                        || audit.netstring(to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')) || audit.netstring(actor) || audit.netstring(module)
                        || audit.netstring(action) || audit.netstring(nullif(purpose, '')) || audit.netstring(details::text) || audit.netstring(prev_hash), 'UTF8') $$;
                CREATE FUNCTION audit.chain_append() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE previous text;
                BEGIN
                    -- Under REPEATABLE READ or SERIALIZABLE the last entry read below could be an old snapshot's, and two appends would fork the chain.
                    IF current_setting('transaction_isolation') <> 'read committed' THEN
                        RAISE EXCEPTION 'audit entries are appended under READ COMMITTED only (the hash chain reads the latest entry)';
                    END IF;
                    PERFORM pg_advisory_xact_lock(5346435246);   -- the audit chain's lock, held until this transaction ends
                    SELECT e.hash INTO previous FROM audit.entries e ORDER BY e.id DESC LIMIT 1;
                    NEW.id := nextval(pg_get_serial_sequence('audit.entries', 'id'));
                    NEW.prev_hash := coalesce(previous, repeat('0', 64));
                    NEW.hash := encode(sha256(audit.entry_content_v1(NEW.id, NEW.at, NEW.actor, NEW.module, NEW.action, NEW.purpose, NEW.details, NEW.prev_hash)), 'hex');
                    RETURN NEW;
                END $$;

                LOCK TABLE audit.entries IN EXCLUSIVE MODE;
                ALTER TABLE audit.entries DISABLE TRIGGER entries_append_only;
                DO $$
                DECLARE r record; previous text := repeat('0', 64);
                BEGIN
                    FOR r IN SELECT * FROM audit.entries ORDER BY id LOOP
                        UPDATE audit.entries SET prev_hash = previous,
                            hash = encode(sha256(audit.entry_content_v1(r.id, r.at, r.actor, r.module, r.action, r.purpose, r.details, previous)), 'hex')
                        WHERE id = r.id RETURNING hash INTO previous;
                    END LOOP;
                END $$;
                ALTER TABLE audit.entries ENABLE TRIGGER entries_append_only;
                ALTER TABLE audit.entries ALTER COLUMN prev_hash DROP DEFAULT, ALTER COLUMN hash DROP DEFAULT;
                CREATE TRIGGER entries_chain BEFORE INSERT ON audit.entries FOR EACH ROW EXECUTE FUNCTION audit.chain_append();
                CREATE TRIGGER anchors_append_only BEFORE UPDATE OR DELETE ON audit.anchors FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS entries_chain ON audit.entries;
                DROP FUNCTION IF EXISTS audit.chain_append(); DROP FUNCTION IF EXISTS audit.entry_content_v1; DROP FUNCTION IF EXISTS audit.netstring;
                """);
            migrationBuilder.DropTable(
                name: "anchors",
                schema: "audit");

            migrationBuilder.DropColumn(
                name: "hash",
                schema: "audit",
                table: "entries");

            migrationBuilder.DropColumn(
                name: "prev_hash",
                schema: "audit",
                table: "entries");
        }
    }
}
