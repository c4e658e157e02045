-- AlterTable
ALTER TABLE "users" ADD COLUMN     "active_weeks" DATE[] DEFAULT ARRAY[]::DATE[];

-- Kept by the database whatever writes activity_days (the activity flush, seeds): one set-based UPDATE per
-- statement, for the users whose rows brought a week they did not have yet. Weeks older than a year are dropped.
CREATE FUNCTION covey_roll_active_weeks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "users" u
  SET active_weeks = ARRAY(
    SELECT DISTINCT w FROM unnest(COALESCE(u.active_weeks, '{}') || n.weeks) AS w
    WHERE w >= (date_trunc('week', (now() AT TIME ZONE 'UTC')) - interval '52 weeks')::date
    ORDER BY w)
  FROM (
    SELECT user_id, array_agg(DISTINCT date_trunc('week', day::timestamp)::date) AS weeks FROM added GROUP BY user_id
  ) n
  WHERE u.id = n.user_id AND NOT (n.weeks <@ COALESCE(u.active_weeks, '{}'));
  RETURN NULL;
END
$$;

CREATE TRIGGER activity_days_roll_active_weeks
  AFTER INSERT ON "activity_days" REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION covey_roll_active_weeks();

-- Rows removed (rare: corrections, tests): the weeks of the users concerned are recomputed from what remains.
CREATE FUNCTION covey_recount_active_weeks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "users" u
  SET active_weeks = ARRAY(
    SELECT DISTINCT date_trunc('week', a.day::timestamp)::date FROM "activity_days" a
    WHERE a.user_id = u.id AND a.day >= (date_trunc('week', (now() AT TIME ZONE 'UTC')) - interval '52 weeks')::date
    ORDER BY 1)
  WHERE u.id IN (SELECT DISTINCT user_id FROM removed);
  RETURN NULL;
END
$$;

CREATE TRIGGER activity_days_recount_active_weeks
  AFTER DELETE ON "activity_days" REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION covey_recount_active_weeks();

UPDATE "users" u SET active_weeks = n.weeks
FROM (
  SELECT user_id, array_agg(DISTINCT date_trunc('week', day::timestamp)::date ORDER BY date_trunc('week', day::timestamp)::date) AS weeks
  FROM "activity_days"
  WHERE day >= (date_trunc('week', (now() AT TIME ZONE 'UTC')) - interval '52 weeks')::date
  GROUP BY user_id
) n
WHERE u.id = n.user_id;
