package dev.tuneforge.app.tenancy;

import java.util.Map;
import java.util.UUID;
import org.hibernate.cfg.MultiTenancySettings;
import org.hibernate.context.spi.CurrentTenantIdentifierResolver;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.stereotype.Component;

/**
 * Hands {@link TenantContext} to Hibernate. Every entity with a {@code @TenantId} field is then
 * filtered by it on read and stamped with it on write; the system context is Hibernate's "root"
 * tenant, which sees all rows.
 */
@Component
class TenantIdentifierResolver
    implements CurrentTenantIdentifierResolver<UUID>, HibernatePropertiesCustomizer {

  @Override
  public UUID resolveCurrentTenantIdentifier() {
    return TenantContext.resolve();
  }

  @Override
  public boolean validateExistingCurrentSessions() {
    return false;
  }

  @Override
  public boolean isRoot(UUID tenantId) {
    return TenantContext.SYSTEM.equals(tenantId);
  }

  @Override
  public void customize(Map<String, Object> hibernateProperties) {
    hibernateProperties.put(MultiTenancySettings.MULTI_TENANT_IDENTIFIER_RESOLVER, this);
  }
}
