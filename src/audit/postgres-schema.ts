import { RECORD_INDEXES } from './columns.js'
import { GENESIS_HASH } from './canonical.js'

// Creating the schema twice at once (two instances starting together) can still
// race inside PostgreSQL's catalogue; the advisory lock makes it one at a time.
// The key is only held for the DDL, never while writing records. The same DDL
// brings an older log up to date: columns and indexes added since are created
// when missing.
export const SCHEMA_LOCK_KEY = 0x61756469 // "audi"

export const POSTGRES_SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_head (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  seq bigint NOT NULL,
  hash text NOT NULL,
  checkpoint_seq bigint NOT NULL,
  checkpoint_at timestamptz NOT NULL
);
INSERT INTO audit_head VALUES (true, 0, '${GENESIS_HASH}', 0, now())
  ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS audit_records (
  seq bigint PRIMARY KEY,
  id text NOT NULL UNIQUE,
  time timestamptz NOT NULL,
  request_id text NOT NULL,
  client_id text NOT NULL,
  officer_id text,
  procedure_code text,
  dossier_id text,
  counter_code text,
  citizen_ids text[] NOT NULL,
  operation text NOT NULL,
  method text NOT NULL,
  route text NOT NULL,
  fields text[] NOT NULL,
  sources jsonb NOT NULL,
  outcome text NOT NULL,
  status integer NOT NULL,
  reason text,
  covert_until text,
  request_hash text,
  response_hash text,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  check_result jsonb
);
-- Logs created before the column existed. Checked first because ALTER TABLE takes
-- an exclusive lock even when there is nothing to add, and would stall the appends
-- of other instances each time one starts.
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'audit_records'::regclass
      AND attname = 'check_result' AND NOT attisdropped) THEN
    ALTER TABLE audit_records ADD COLUMN IF NOT EXISTS check_result jsonb;
  END IF;
END $$;
CREATE TABLE IF NOT EXISTS audit_citizens (
  citizen_id text NOT NULL,
  seq bigint NOT NULL,
  PRIMARY KEY (citizen_id, seq)
);
CREATE TABLE IF NOT EXISTS audit_checkpoints (
  seq bigint PRIMARY KEY,
  hash text NOT NULL,
  time text NOT NULL,
  key_id text NOT NULL,
  signature text NOT NULL
);
${RECORD_INDEXES}
`
