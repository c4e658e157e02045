-- Every API process may keep what a user is to a group (their roles there and above: the facts a group space is
-- checked against, see GroupFactsCache); the database tells them all when that may change, at commit:
-- NOTIFY covey_principal 'facts:<user id>' for each user whose memberships a statement changed, 'facts:*' when a
-- statement changed those of more than 100 users, or moved or deleted groups (the tree above a group changed).
-- Statement-level triggers: a bulk join of 10,000 learners sends one notification, not 10,000.
-- Not part of schema.prisma (Prisma models no triggers).
CREATE FUNCTION covey_notify_membership_facts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(u) INTO changed FROM (SELECT DISTINCT user_id AS u FROM new_rows LIMIT 101) s;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(u) INTO changed FROM (SELECT DISTINCT user_id AS u FROM old_rows LIMIT 101) s;
  ELSE
    SELECT array_agg(u) INTO changed FROM (
      SELECT DISTINCT u FROM (SELECT user_id AS u FROM old_rows UNION ALL SELECT user_id FROM new_rows) r LIMIT 101
    ) s;
  END IF;
  IF changed IS NULL THEN
    RETURN NULL;
  ELSIF cardinality(changed) > 100 THEN
    PERFORM pg_notify('covey_principal', 'facts:*');
  ELSE
    PERFORM pg_notify('covey_principal', 'facts:' || u::text) FROM unnest(changed) u;
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION covey_notify_all_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('covey_principal', 'facts:*');
  RETURN NULL;
END
$$;

CREATE TRIGGER memberships_facts_insert AFTER INSERT ON "memberships"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION covey_notify_membership_facts();
CREATE TRIGGER memberships_facts_update AFTER UPDATE ON "memberships"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION covey_notify_membership_facts();
CREATE TRIGGER memberships_facts_delete AFTER DELETE ON "memberships"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION covey_notify_membership_facts();
CREATE TRIGGER memberships_facts_truncate AFTER TRUNCATE ON "memberships"
  FOR EACH STATEMENT EXECUTE FUNCTION covey_notify_all_facts();
CREATE TRIGGER groups_facts_tree AFTER UPDATE OF parent_id OR DELETE OR TRUNCATE ON "groups"
  FOR EACH STATEMENT EXECUTE FUNCTION covey_notify_all_facts();
