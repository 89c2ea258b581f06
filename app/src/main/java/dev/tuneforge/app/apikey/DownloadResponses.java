package dev.tuneforge.app.apikey;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.Set;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;

/**
 * Documents each {@link Download} endpoint's {@code 200} answer as the file it streams: the
 * declared media type with a binary string schema ({@code text/*}: a plain string), in place of
 * springdoc's {@code *}{@code /*} with the streaming body's Java type.
 */
@Component
class DownloadResponses implements GlobalOperationCustomizer {
  @Override
  public Operation customize(Operation operation, HandlerMethod handlerMethod) {
    Download download = handlerMethod.getMethodAnnotation(Download.class);
    if (download == null) {
      return operation;
    }
    Schema<String> file = new Schema<>();
    file.setTypes(Set.of("string"));
    file.setType("string");
    if (!download.value().startsWith("text/")) {
      file.setFormat("binary");
    }
    ApiResponse ok = operation.getResponses().computeIfAbsent("200", code -> new ApiResponse());
    if (ok.getDescription() == null) {
      ok.setDescription("OK");
    }
    ok.setContent(new Content().addMediaType(download.value(), new MediaType().schema(file)));
    return operation;
  }
}
