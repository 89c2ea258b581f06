package dev.tuneforge.app.account;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface UserRepository extends JpaRepository<AppUser, UUID> {
  Optional<AppUser> findByUsernameIgnoreCase(String username);

  boolean existsByUsernameIgnoreCase(String username);

  boolean existsByRole(Role role);

  Optional<AppUser> findByExternalSubject(String externalSubject);

  List<AppUser> findByTenantIdAndDeletedAtIsNullOrderByUsername(UUID tenantId);

  List<AppUser> findByDeletedAtIsNullOrderByUsername();
}
