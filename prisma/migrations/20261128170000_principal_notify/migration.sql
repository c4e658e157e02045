-- Every API process caches who a bearer token speaks for; the database tells them all when that changes:
-- NOTIFY covey_principal 'user:<id>' when a user's role or status changes (or the row goes), 'client:<id>' when an
-- integration client is revoked (or goes). Delivered at commit. Not part of schema.prisma (Prisma models no triggers).
CREATE FUNCTION covey_notify_principal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('covey_principal', TG_ARGV[0] || ':' || OLD.id::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER users_notify_principal
  AFTER UPDATE OF role, status OR DELETE ON "users"
  FOR EACH ROW EXECUTE FUNCTION covey_notify_principal('user');

CREATE TRIGGER integration_clients_notify_principal
  AFTER UPDATE OF revoked_at OR DELETE ON "integration_clients"
  FOR EACH ROW EXECUTE FUNCTION covey_notify_principal('client');
