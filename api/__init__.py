"""The surfaces: the Litestar app, its routes and schemas, auth and limits, and the CLI."""
