package dev.tuneforge.app.apikey;

import java.util.List;

/**
 * A page of a native API list, {@code {"data": [...], "total": n}}: {@code limit} items from {@code
 * offset} on, and how many the whole list holds.
 */
public record ApiPage<T>(List<T> data, int total) {
  public static final int MAX_LIMIT = 100;

  public ApiPage {
    data = List.copyOf(data);
  }

  /**
   * The page of {@code all} (in its order).
   *
   * @throws IllegalArgumentException for a negative offset or a limit out of 1 to {@value
   *     #MAX_LIMIT}
   */
  public static <T> ApiPage<T> of(List<T> all, int offset, int limit) {
    if (offset < 0 || limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "offset is 0 or more and limit between 1 and " + MAX_LIMIT);
    }
    int from = Math.min(offset, all.size());
    return new ApiPage<>(all.subList(from, Math.min(all.size(), from + limit)), all.size());
  }
}
