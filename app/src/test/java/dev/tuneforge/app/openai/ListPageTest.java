package dev.tuneforge.app.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** OpenAI's pagination: {@code after} an id, {@code limit} items, {@code has_more}. */
class ListPageTest {
  private static final List<String> ITEMS = List.of("a", "b", "c", "d", "e");

  @Test
  void pagesFollowEachOtherUntilTheListEnds() {
    ListPage<String> first = ListPage.of(ITEMS, Function.identity(), null, 2);
    assertThat(first.data()).containsExactly("a", "b");
    assertThat(first.hasMore()).isTrue();
    assertThat(first.lastId()).isEqualTo("b");

    ListPage<String> second = ListPage.of(ITEMS, Function.identity(), first.lastId(), 2);
    assertThat(second.data()).containsExactly("c", "d");
    ListPage<String> last = ListPage.of(ITEMS, Function.identity(), second.lastId(), 2);
    assertThat(last.data()).containsExactly("e");
    assertThat(last.hasMore()).isFalse();
    assertThat(last.object()).isEqualTo("list");
  }

  @Test
  void aLimitOutOfRangeOrAnUnknownAfterIsRefused() {
    assertThatThrownBy(() -> ListPage.of(ITEMS, Function.identity(), null, 0))
        .hasMessage("limit must be between 1 and 100, not 0");
    assertThatThrownBy(() -> ListPage.of(ITEMS, Function.identity(), "zz", 2))
        .hasMessage("after names nothing in this list: 'zz'");
  }
}
