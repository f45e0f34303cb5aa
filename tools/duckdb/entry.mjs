// The one module the query page imports: DuckDB-Wasm's browser API with Apache Arrow bundled in
// (its ESM imports "apache-arrow" by bare name, which a browser cannot resolve without a bundler).
export * from "@duckdb/duckdb-wasm";
