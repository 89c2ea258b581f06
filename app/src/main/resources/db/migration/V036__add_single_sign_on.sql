-- Single sign-on. A tenant with an sso_group signs in through the OIDC provider: the group (or
-- organization) the provider's token names for it. Users of such a tenant are provisioned on
-- their first sign-in and found again by the provider's issuer and subject; they have no local
-- password (password_hash stays empty and the sign-in form refuses them).
ALTER TABLE tenant ADD COLUMN sso_group VARCHAR(200);
ALTER TABLE tenant ADD CONSTRAINT uq_tenant_sso_group UNIQUE (sso_group);

ALTER TABLE app_user ADD COLUMN external_subject VARCHAR(500);
ALTER TABLE app_user ADD CONSTRAINT uq_app_user_external_subject UNIQUE (external_subject);
