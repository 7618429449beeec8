-- Roles are held per territory (staff_membership) since 0010. Accounts created after 0010
-- by a release that still wrote staff_user.role get their membership in the first
-- territory now (admins also administer the instance, as 0010 did); then the account-wide
-- role goes, so nothing can read it by mistake.
UPDATE staff_user SET instance_role = 'admin'
WHERE role = 'admin' AND instance_role IS NULL
    AND NOT EXISTS (SELECT 1 FROM staff_membership m WHERE m.user_id = staff_user.id);
INSERT INTO staff_membership (user_id, territory_id, role)
SELECT u.id, (SELECT MIN(id) FROM territory), u.role FROM staff_user u
WHERE NOT EXISTS (SELECT 1 FROM staff_membership m WHERE m.user_id = u.id)
    AND EXISTS (SELECT 1 FROM territory);
ALTER TABLE staff_user DROP COLUMN role;
