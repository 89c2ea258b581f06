package dev.tuneforge.app.account;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the tenant and the role out of a provider's claims, as {@link SsoProperties} configures:
 * the tenant claim's values name SSO groups, the role claim's values are mapped to our roles and
 * the highest one wins. Platform admins are local accounts only; no claim makes one.
 */
final class SsoClaims {
  private SsoClaims() {}

  /**
   * The names the tenant claim holds: a string, a list of strings, or an object whose keys are the
   * names (Keycloak's organization claim). Group paths lose their leading slash ({@code /demo}).
   */
  static Set<String> tenantNames(Map<String, Object> claims, String claim) {
    Set<String> names = new LinkedHashSet<>();
    Object value = at(claims, claim);
    if (value instanceof Map<?, ?> map) {
      map.keySet().forEach(key -> add(names, key));
    } else if (value instanceof Collection<?> list) {
      list.forEach(item -> add(names, item));
    } else {
      add(names, value);
    }
    return names;
  }

  /** The highest of our roles that the role claim's values map to; never a platform admin. */
  static Optional<Role> role(Map<String, Object> claims, String claim, Map<String, Role> mapping) {
    Object value = at(claims, claim);
    Collection<?> values =
        value instanceof Collection<?> list ? list : value == null ? Set.of() : Set.of(value);
    return values.stream()
        .map(item -> mapping.get(String.valueOf(item)))
        .filter(role -> role != null && role != Role.PLATFORM_ADMIN)
        .min(Enum::compareTo);
  }

  /** The value at a dotted path ({@code resource_access.tuneforge.roles}), or null. */
  static @Nullable Object at(Map<String, Object> claims, String path) {
    Object current = claims;
    for (String part : path.split("\\.")) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(part);
    }
    return current;
  }

  private static void add(Set<String> names, @Nullable Object value) {
    if (value instanceof String text) {
      String name = text.startsWith("/") ? text.substring(1) : text;
      if (!name.isBlank()) {
        names.add(name);
      }
    }
  }
}
