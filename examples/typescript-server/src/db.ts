import Database from 'better-sqlite3';

/** An in-memory notes database, seeded on start (the example writes nothing to disk). */
export function openNotesDb(): Database.Database {
  const db = new Database(':memory:');
  db.exec(`
    CREATE TABLE notes (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL);
    INSERT INTO notes (owner, title, body) VALUES
      ('alice', 'groceries', 'milk, eggs'),
      ('alice', 'ideas', 'an MCP server for notes'),
      ('bob', 'secret plans', 'bob''s private note: do not show to alice');
  `);
  return db;
}
