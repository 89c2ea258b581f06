package dev.tuneforge.app.tenancy;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates and lists tenants; platform admins only. */
@Service
public class TenantService {
  private final TenantRepository tenants;

  TenantService(TenantRepository tenants) {
    this.tenants = tenants;
  }

  @PreAuthorize("hasRole('PLATFORM_ADMIN')")
  @Transactional
  public Tenant create(String name) {
    String trimmed = name.strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("A tenant needs a name");
    }
    if (tenants.existsByNameIgnoreCase(trimmed)) {
      throw new IllegalArgumentException("A tenant named '" + trimmed + "' already exists");
    }
    return tenants.save(new Tenant(trimmed));
  }

  @PreAuthorize("hasRole('PLATFORM_ADMIN')")
  public List<Tenant> list() {
    return tenants.findAllByOrderByName();
  }

  public Optional<Tenant> find(UUID id) {
    return tenants.findById(id);
  }
}
