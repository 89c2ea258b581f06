package dev.tuneforge.app.tenancy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface TenantRepository extends JpaRepository<Tenant, UUID> {
  boolean existsByNameIgnoreCase(String name);

  Optional<Tenant> findByNameIgnoreCase(String name);

  List<Tenant> findAllByOrderByName();

  Optional<Tenant> findBySsoGroup(String ssoGroup);

  List<Tenant> findByDeletionDueAtLessThanEqualOrderByDeletionDueAt(Instant now);
}
