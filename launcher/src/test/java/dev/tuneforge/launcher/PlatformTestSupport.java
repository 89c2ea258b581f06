package dev.tuneforge.launcher;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tuneforge.app.account.AccountService;
import dev.tuneforge.app.account.SignedInUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.context.ApplicationContext;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/** What the end-to-end tests share: acting as a user, unique names and the SROIE data. */
final class PlatformTestSupport {
  private PlatformTestSupport() {}

  static SignedInUser principal(ApplicationContext app, String username) {
    return (SignedInUser) app.getBean(AccountService.class).loadUserByUsername(username);
  }

  /** Runs {@code work} signed in as {@code user}, as a request of theirs would. */
  static <T> T as(SignedInUser user, Supplier<T> work) {
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));
    SecurityContextHolder.setContext(context);
    try {
      return work.get();
    } finally {
      SecurityContextHolder.clearContext();
    }
  }

  static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /** {@code shared/datasets/sroie/train.jsonl} in the nearest folder above this one that has it. */
  static Path sroieTrainingFile() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/datasets/sroie/train.jsonl");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return fail("No shared/datasets/sroie/train.jsonl in " + Path.of("").toAbsolutePath() + " or any folder above it");
  }
}
