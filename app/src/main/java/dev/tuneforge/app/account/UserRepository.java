package dev.tuneforge.app.account;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface UserRepository extends JpaRepository<AppUser, UUID> {
  Optional<AppUser> findByUsernameIgnoreCase(String username);

  boolean existsByUsernameIgnoreCase(String username);

  boolean existsByRole(Role role);

  List<AppUser> findByTenantIdOrderByUsername(UUID tenantId);

  List<AppUser> findAllByOrderByUsername();
}
