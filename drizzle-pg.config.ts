import { defineConfig } from 'drizzle-kit';

// PostgreSQL twin of drizzle.config.ts: `npm run db:generate` runs both, so each engine has its
// own generated migrations (drizzle/ for SQLite, drizzle-pg/ for PostgreSQL).
export default defineConfig({
	dialect: 'postgresql',
	schema: './src/lib/server/db/schema-pg/index.ts',
	out: './drizzle-pg',
	casing: 'snake_case'
});
