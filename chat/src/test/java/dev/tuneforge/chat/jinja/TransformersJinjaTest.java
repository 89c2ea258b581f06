package dev.tuneforge.chat.jinja;

import static org.assertj.core.api.Assertions.assertThat;

import com.hubspot.jinjava.interpret.RenderResult;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Python that templates use means what it means in transformers' Jinja2, including where the
 * JavaScript reference renderer differs ({@code strip('\\n')}); expected texts are what Jinja2 3.1
 * with transformers' tojson printed for the same template.
 */
class TransformersJinjaTest {

  static Stream<Arguments> templates() {
    return Stream.of(
        Arguments.of(
            "strip with characters strips only those; without, whitespace",
            "{{ text.lstrip('\\n') }}|{{ text.strip('\\n ') }}|{{ text.rstrip() }}",
            Map.of("text", "\n  answer \n"),
            "  answer \n|answer|\n  answer"),
        Arguments.of(
            "slices with steps, negative and out of range bounds",
            "{{ 'abcdefg'[::2] }} {{ 'abcdefg'[5:1:-2] }} {{ [1,2,3,4][::-1]|join(',') }} {{ [1,2,3,4][-10:10:3]|join(',') }}",
            Map.of(),
            "aceg fd 4,3,2,1 1,4"),
        Arguments.of(
            "split, replace and title as Python has them",
            "{{ 'a  b\\tc '.split()|join('|') }} {{ 'a,b,,c'.split(',', 2)|join('|') }} {{ 'aXbXc'.replace('X', '-', 1) }} {{ 'hello wORLD 3d'.title() }}",
            Map.of(),
            "a|b|c a|b|,c a-bXc Hello World 3D"),
        Arguments.of(
            "not binds looser than tests and comparisons",
            "{{ 'yes' if not x is defined else 'no' }} {{ 'yes' if not 1 == 2 else 'no' }}",
            Map.of(),
            "yes yes"),
        Arguments.of(
            "tojson with indent and sorted keys",
            "{{ {'b': [1, 2.5, {}], 'a': '\u00fc\"'} | tojson(indent=2, sort_keys=true) }}",
            Map.of(),
            "{\n  \"a\": \"\u00fc\\\"\",\n  \"b\": [\n    1,\n    2.5,\n    {}\n  ]\n}"),
        Arguments.of(
            "tojson with separators, ASCII only, and Python's floats",
            "{{ {'a': [1, 1e-05, 1e16, 12.0]} | tojson(separators=(',', ':'), ensure_ascii=true) }}|{{ '\u00fc' | tojson(true) }}",
            Map.of(),
            "{\"a\":[1,1e-05,1e+16,12.0]}|\"\\u00fc\""),
        Arguments.of(
            "a namespace set from a whole expression, found walking backwards",
            "{% set ns = namespace(i=items|length - 1, found=false) %}{% for it in items[::-1] %}{% if not ns.found %}{% if it.startswith(('b', 'c')) %}{% set ns.found = true %}{% set ns.i = items|length - 1 - loop.index0 %}{% endif %}{% endif %}{% endfor %}{{ ns.i }}",
            Map.of("items", List.of("a", "b", "x")),
            "1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("templates")
  void rendersAsJinja2(
      String behaviour, String template, Map<String, Object> context, String expected) {
    RenderResult result = TransformersJinja.newJinjava().renderForResult(template, context);

    assertThat(result.getErrors()).as(behaviour).isEmpty();
    assertThat(result.getOutput()).as(behaviour).isEqualTo(expected);
  }
}
