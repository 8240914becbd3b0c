using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using NpgsqlTypes;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace SafeCities.Modules.Intelligence.Data.Migrations
{
    /// <inheritdoc />
    internal partial class RecordsSearchAccess : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:fuzzystrmatch", ",,")
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .Annotation("Npgsql:PostgresExtension:postgis", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:postgis", ",,");

            migrationBuilder.AddColumn<int>(
                name: "release_hotlist_days",
                schema: "intelligence",
                table: "agencies",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "access_rules",
                schema: "intelligence",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    role = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    record_kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    access = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    scope = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    include_sealed = table.Column<bool>(type: "boolean", nullable: false),
                    agency_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_access_rules", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "hotlist_requests",
                schema: "intelligence",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    plate = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    region = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    source_record_id = table.Column<Guid>(type: "uuid", nullable: false),
                    reason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    withdrawn_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_hotlist_requests", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "person_identities",
                schema: "intelligence",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    agency_id = table.Column<Guid>(type: "uuid", nullable: false),
                    source_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    first_name = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    last_name = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    middle_name = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    date_of_birth = table.Column<DateOnly>(type: "date", nullable: true),
                    identifiers = table.Column<List<string>>(type: "text[]", nullable: false),
                    aliases = table.Column<List<string>>(type: "text[]", nullable: false),
                    address = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    district = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    link_score = table.Column<double>(type: "double precision", nullable: false),
                    link_status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    link_evidence = table.Column<List<string>>(type: "text[]", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_person_identities", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "person_names",
                schema: "intelligence",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    identity_id = table.Column<Guid>(type: "uuid", nullable: false),
                    agency_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    first_name = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    last_name = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    is_alias = table.Column<bool>(type: "boolean", nullable: false),
                    date_of_birth = table.Column<DateOnly>(type: "date", nullable: true),
                    phonetic = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true, computedColumnSql: "(dmetaphone(first_name) || ' ' || dmetaphone(last_name))", stored: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_person_names", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "persons",
                schema: "intelligence",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    display_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    date_of_birth = table.Column<DateOnly>(type: "date", nullable: true),
                    address = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    district = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_persons", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "records",
                schema: "intelligence",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    agency_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    source_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: true),
                    identity_id = table.Column<Guid>(type: "uuid", nullable: true),
                    vehicle_id = table.Column<Guid>(type: "uuid", nullable: true),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    summary = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    details = table.Column<string>(type: "text", nullable: false),
                    narrative = table.Column<string>(type: "text", nullable: true),
                    @sealed = table.Column<bool>(name: "sealed", type: "boolean", nullable: false),
                    violent_offence = table.Column<bool>(type: "boolean", nullable: false),
                    supervising_officer = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    latitude = table.Column<double>(type: "double precision", nullable: true),
                    longitude = table.Column<double>(type: "double precision", nullable: true),
                    address = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    search_vector = table.Column<NpgsqlTsVector>(type: "tsvector", nullable: false, computedColumnSql: "to_tsvector('english', summary || ' ' || coalesce(address, '') || ' ' || coalesce(narrative, ''))", stored: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_records", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "release_notifications",
                schema: "intelligence",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    booking_id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    released_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    reasons = table.Column<List<string>>(type: "text[]", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    dispatched_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_release_notifications", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sharing_agreements",
                schema: "intelligence",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    from_agency_id = table.Column<Guid>(type: "uuid", nullable: false),
                    to_agency_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sharing_agreements", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "vehicles",
                schema: "intelligence",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    plate = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    region = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    make = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    model = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    colour = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    owner_person_id = table.Column<Guid>(type: "uuid", nullable: true),
                    agency_id = table.Column<Guid>(type: "uuid", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_vehicles", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "watchlist",
                schema: "intelligence",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(160)", maxLength: 160, nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: true),
                    plate = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    criteria = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    created_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_watchlist", x => x.id);
                });

            migrationBuilder.InsertData(
                schema: "intelligence",
                table: "access_rules",
                columns: new[] { "id", "access", "agency_id", "include_sealed", "record_kind", "role", "scope" },
                values: new object[,]
                {
                    { new Guid("039e09d3-43ea-4b07-0ba0-8c3999aefebb"), "full", null, false, "plate-sighting", "Analyst", "shared" },
                    { new Guid("07751ebc-3065-63d1-bc56-a3dec7e23380"), "full", null, false, "supervision", "Commander", "all" },
                    { new Guid("0a62736a-eff8-d5bd-b230-fe6dffa5048c"), "full", null, false, "supervision", "Analyst", "shared" },
                    { new Guid("0caa027e-61fe-a9e9-15b4-994dd1aa9118"), "full", null, false, "booking", "Administrator", "all" },
                    { new Guid("0d64af5a-12d7-941a-6444-22920b54aa5c"), "full", null, false, "call-for-service", "Commander", "all" },
                    { new Guid("11ade3fc-103e-f8e8-ff72-7cc3586f3063"), "full", null, false, "supervision", "Judge", "all" },
                    { new Guid("12897722-3e57-375f-33ab-8934297d536b"), "summary", null, false, "vehicle", "Judge", "all" },
                    { new Guid("12d138f1-5d91-007a-76bf-338374fcdfea"), "full", null, false, "supervision", "ProbationOfficer", "supervisees" },
                    { new Guid("1804b0ba-a076-9402-51c9-84d5ee0ff29c"), "full", null, false, "person", "Analyst", "shared" },
                    { new Guid("1ba3c75f-e70a-502d-ee96-1739e5044fda"), "full", null, false, "person", "Judge", "all" },
                    { new Guid("24579b95-3fda-becb-198b-1fec8d375d56"), "full", null, false, "call-for-service", "Administrator", "all" },
                    { new Guid("297981ea-d3e6-02bd-6faf-241f81882fce"), "full", null, false, "warrant", "Officer", "all" },
                    { new Guid("31490ab3-ef5e-fd84-444b-627ea40e079a"), "full", null, false, "booking", "ProbationOfficer", "supervisees" },
                    { new Guid("39699a50-5496-9bcb-84b4-7bb9d30e6eb3"), "full", null, false, "vehicle", "Commander", "all" },
                    { new Guid("4682dae8-5026-3aa4-cc78-85c69625c898"), "full", null, false, "person", "ProbationOfficer", "supervisees" },
                    { new Guid("51011ee6-8a8b-1bc2-2631-46d8e6419977"), "full", null, false, "plate-sighting", "Officer", "all" },
                    { new Guid("5a3bc097-1f7e-0d6d-6212-99a88d3a7b40"), "full", null, false, "vehicle", "ProbationOfficer", "supervisees" },
                    { new Guid("5afd64cf-97d4-50b4-430d-86c5af985da2"), "full", null, true, "court-case", "Judge", "all" },
                    { new Guid("5b2a66f3-b711-4ade-2df8-fd7429eb7b4b"), "summary", null, false, "booking", "Officer", "all" },
                    { new Guid("5d3231a3-85d4-f135-36e4-17ccb6cd22ef"), "full", null, false, "booking", "Commander", "all" },
                    { new Guid("6141f7a9-4c6f-6060-3a03-06cfa8633a9a"), "full", null, false, "warrant", "ProbationOfficer", "supervisees" },
                    { new Guid("62ac08bb-8621-97a2-d626-d3dd14d181c7"), "full", null, false, "court-case", "Administrator", "all" },
                    { new Guid("6573c810-1985-56e3-92b2-ce6930753944"), "full", null, false, "vehicle", "Officer", "all" },
                    { new Guid("6ec991d3-c368-39b1-e4e6-fd158c7c6b7b"), "full", null, false, "vehicle", "Analyst", "shared" },
                    { new Guid("72bd948e-2fc9-5db8-5718-3243e89d582c"), "full", null, false, "plate-sighting", "Commander", "all" },
                    { new Guid("7e0fd937-0ca4-ef9d-b190-717163b24476"), "full", null, false, "vehicle", "Administrator", "all" },
                    { new Guid("88d32b1e-e0b8-42d1-1a25-4b4ef970a3ce"), "full", null, false, "warrant", "Judge", "all" },
                    { new Guid("9587e071-bd57-c3c3-5bc0-b783944853e2"), "full", null, false, "person", "Administrator", "all" },
                    { new Guid("9716249c-8b58-0d1e-b6e7-8428daf9225d"), "full", null, false, "warrant", "Administrator", "all" },
                    { new Guid("997f83c2-d762-071f-691d-6f66751b28bf"), "full", null, false, "supervision", "Administrator", "all" },
                    { new Guid("a2b45e15-8135-3569-a947-a3f17dd7aa72"), "full", null, false, "person", "Officer", "all" },
                    { new Guid("a49eef5d-acae-c0e3-f479-c34c1d220ad7"), "full", null, false, "booking", "Judge", "all" },
                    { new Guid("a811e9cd-4b64-f186-36a7-38883fd9dff5"), "summary", null, false, "supervision", "Officer", "all" },
                    { new Guid("a903a976-bdb8-6877-e858-d2fff88152f3"), "full", null, false, "person", "Commander", "all" },
                    { new Guid("b2f30d40-ef4b-c1a1-2b17-d30ba1982052"), "full", null, false, "court-case", "ProbationOfficer", "supervisees" },
                    { new Guid("b3b49f22-79aa-dc58-ec35-c3ac63984ce0"), "full", null, false, "call-for-service", "Analyst", "shared" },
                    { new Guid("b3c6d066-839a-77e7-0a42-ac517397f767"), "full", null, false, "call-for-service", "Officer", "all" },
                    { new Guid("b5a5d469-a711-f0e8-57ba-0322e7cdaf53"), "full", null, false, "call-for-service", "ProbationOfficer", "supervisees" },
                    { new Guid("c179a04d-58d6-1b6e-0af1-0be911f9f9b8"), "full", null, false, "warrant", "Commander", "all" },
                    { new Guid("cc5fb3a8-0677-3ca0-389b-6459eb2f302f"), "full", null, false, "booking", "Analyst", "shared" },
                    { new Guid("cdf8c65e-2aca-c107-99b8-05d4a0ec160e"), "full", null, false, "plate-sighting", "Administrator", "all" },
                    { new Guid("cf0618de-784f-9d26-b090-0633c2d4d28d"), "summary", null, false, "court-case", "Officer", "all" },
                    { new Guid("d0119fab-ee51-d237-ee7e-2161254b4943"), "full", null, false, "court-case", "Analyst", "shared" },
                    { new Guid("d3e9e12f-1011-e81f-e388-5c142c5d2d83"), "full", null, false, "warrant", "Analyst", "shared" },
                    { new Guid("f7dd3791-1325-15e9-307a-09c98626526e"), "full", null, false, "court-case", "Commander", "all" }
                });

            migrationBuilder.CreateIndex(
                name: "ix_access_rules_role_record_kind_agency_id",
                schema: "intelligence",
                table: "access_rules",
                columns: new[] { "role", "record_kind", "agency_id" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);

            migrationBuilder.CreateIndex(
                name: "ix_hotlist_requests_plate",
                schema: "intelligence",
                table: "hotlist_requests",
                column: "plate");

            migrationBuilder.CreateIndex(
                name: "ix_hotlist_requests_source_record_id",
                schema: "intelligence",
                table: "hotlist_requests",
                column: "source_record_id");

            migrationBuilder.CreateIndex(
                name: "ix_person_identities_agency_id_source_id",
                schema: "intelligence",
                table: "person_identities",
                columns: new[] { "agency_id", "source_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_person_identities_date_of_birth",
                schema: "intelligence",
                table: "person_identities",
                column: "date_of_birth");

            migrationBuilder.CreateIndex(
                name: "ix_person_identities_identifiers",
                schema: "intelligence",
                table: "person_identities",
                column: "identifiers")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_person_identities_person_id",
                schema: "intelligence",
                table: "person_identities",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_person_names_date_of_birth_person_id",
                schema: "intelligence",
                table: "person_names",
                columns: new[] { "date_of_birth", "person_id" });

            migrationBuilder.CreateIndex(
                name: "ix_person_names_identity_id",
                schema: "intelligence",
                table: "person_names",
                column: "identity_id");

            migrationBuilder.CreateIndex(
                name: "ix_person_names_name",
                schema: "intelligence",
                table: "person_names",
                column: "name")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_person_names_person_id",
                schema: "intelligence",
                table: "person_names",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_person_names_phonetic_date_of_birth",
                schema: "intelligence",
                table: "person_names",
                columns: new[] { "phonetic", "date_of_birth" });

            migrationBuilder.CreateIndex(
                name: "ix_records_agency_id_kind_source_id",
                schema: "intelligence",
                table: "records",
                columns: new[] { "agency_id", "kind", "source_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_records_person_id_kind",
                schema: "intelligence",
                table: "records",
                columns: new[] { "person_id", "kind" });

            migrationBuilder.CreateIndex(
                name: "ix_records_search_vector",
                schema: "intelligence",
                table: "records",
                column: "search_vector")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_records_supervising_officer_kind",
                schema: "intelligence",
                table: "records",
                columns: new[] { "supervising_officer", "kind" });

            migrationBuilder.CreateIndex(
                name: "ix_records_vehicle_id",
                schema: "intelligence",
                table: "records",
                column: "vehicle_id");

            migrationBuilder.CreateIndex(
                name: "ix_release_notifications_booking_id",
                schema: "intelligence",
                table: "release_notifications",
                column: "booking_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_sharing_agreements_from_agency_id_to_agency_id",
                schema: "intelligence",
                table: "sharing_agreements",
                columns: new[] { "from_agency_id", "to_agency_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_vehicles_owner_person_id",
                schema: "intelligence",
                table: "vehicles",
                column: "owner_person_id");

            migrationBuilder.CreateIndex(
                name: "ix_vehicles_plate_region",
                schema: "intelligence",
                table: "vehicles",
                columns: new[] { "plate", "region" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_vehicles_plate_trgm",
                schema: "intelligence",
                table: "vehicles",
                column: "plate")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_watchlist_person_id",
                schema: "intelligence",
                table: "watchlist",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_watchlist_plate",
                schema: "intelligence",
                table: "watchlist",
                column: "plate");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "access_rules",
                schema: "intelligence");

            migrationBuilder.DropTable(
                name: "hotlist_requests",
                schema: "intelligence");

            migrationBuilder.DropTable(
                name: "person_identities",
                schema: "intelligence");

            migrationBuilder.DropTable(
                name: "person_names",
                schema: "intelligence");

            migrationBuilder.DropTable(
                name: "persons",
                schema: "intelligence");

            migrationBuilder.DropTable(
                name: "records",
                schema: "intelligence");

            migrationBuilder.DropTable(
                name: "release_notifications",
                schema: "intelligence");

            migrationBuilder.DropTable(
                name: "sharing_agreements",
                schema: "intelligence");

            migrationBuilder.DropTable(
                name: "vehicles",
                schema: "intelligence");

            migrationBuilder.DropTable(
                name: "watchlist",
                schema: "intelligence");

            migrationBuilder.DropColumn(
                name: "release_hotlist_days",
                schema: "intelligence",
                table: "agencies");

            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .Annotation("Npgsql:PostgresExtension:postgis", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:fuzzystrmatch", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:postgis", ",,");
        }
    }
}
