package dev.tuneforge.chat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One function call of an assistant message; {@code arguments} is the JSON object's text as OpenAI
 * writes it, {@code id} the call's id where the data gave one.
 */
public record ToolCall(@Nullable String id, String name, String arguments) {

  /** As transformers expects a call: {@code {"type":"function","function":{name, arguments}}}. */
  Map<String, Object> templateView() {
    Map<String, Object> function = new LinkedHashMap<>();
    function.put("name", name);
    function.put("arguments", ToolCalls.argumentsAsMap(arguments));
    Map<String, Object> call = new LinkedHashMap<>();
    if (id != null) {
      call.put("id", id);
    }
    call.put("type", "function");
    call.put("function", function);
    return call;
  }
}
