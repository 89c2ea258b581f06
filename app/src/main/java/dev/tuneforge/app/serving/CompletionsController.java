package dev.tuneforge.app.serving;

import dev.tuneforge.app.apikey.ApiErrors;
import dev.tuneforge.app.apikey.PublicApi;
import dev.tuneforge.protocol.GenerationChunk;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * OpenAI's {@code POST /v1/chat/completions} and {@code POST /v1/completions} for the caller's
 * tenant, whole or streamed as server-sent events ({@code data: {chunk}} lines, then {@code data:
 * [DONE]}). A stream's response starts once a node took the generation, so that "no node serves
 * now" is still a 503 of its own.
 */
@RestController
@PublicApi
class CompletionsController {
  private final ServingService serving;
  private final Clock clock;

  CompletionsController(ServingService serving, Clock clock) {
    this.serving = serving;
    this.clock = clock;
  }

  @PostMapping(path = "/v1/chat/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
  void chat(@RequestBody JsonNode body, Principal caller, HttpServletResponse response)
      throws IOException, InterruptedException {
    OpenAiRequest request = OpenAiRequest.chat(body);
    ServedModel model = serving.model(request.model());
    Generation generation =
        serving.chat(model, request.messages(), request.settings(), caller.getName());
    answer(request, generation, "chatcmpl-", true, response);
  }

  @PostMapping(path = "/v1/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
  void completion(@RequestBody JsonNode body, Principal caller, HttpServletResponse response)
      throws IOException, InterruptedException {
    OpenAiRequest request = OpenAiRequest.completion(body);
    ServedModel model = serving.model(request.model());
    Generation generation =
        serving.complete(model, request.prompt(), request.settings(), caller.getName());
    answer(request, generation, "cmpl-", false, response);
  }

  private void answer(
      OpenAiRequest request,
      Generation generation,
      String idPrefix,
      boolean chat,
      HttpServletResponse response)
      throws IOException, InterruptedException {
    OpenAiResponses shapes =
        new OpenAiResponses(
            idPrefix + UUID.randomUUID().toString().replace("-", ""),
            request.model(),
            chat,
            clock.instant().getEpochSecond());
    GenerationChunk chunk;
    try {
      chunk = serving.next(generation);
    } catch (RuntimeException | InterruptedException e) {
      serving.abandon(generation);
      throw e;
    }
    if (request.stream()) {
      stream(request, generation, chunk, shapes, response);
      return;
    }
    StringBuilder text = new StringBuilder(chunk.delta());
    while (!chunk.isLast()) {
      chunk = serving.next(generation);
      text.append(chunk.delta());
    }
    if (chunk.error() != null) {
      write(
          response,
          HttpStatus.INTERNAL_SERVER_ERROR,
          OpenAiResponses.JSON.writeValueAsString(failed(chunk.error())));
      return;
    }
    write(
        response,
        HttpStatus.OK,
        shapes
            .complete(text.toString(), String.valueOf(chunk.finishReason()), chunk.usage())
            .toString());
  }

  private void stream(
      OpenAiRequest request,
      Generation generation,
      GenerationChunk first,
      OpenAiResponses shapes,
      HttpServletResponse response)
      throws IOException, InterruptedException {
    response.setStatus(HttpStatus.OK.value());
    response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-cache");
    OutputStream out = response.getOutputStream();
    try {
      GenerationChunk chunk = first;
      boolean isFirst = true;
      while (true) {
        if (chunk.error() != null) {
          event(out, OpenAiResponses.JSON.writeValueAsString(failed(chunk.error())));
          break;
        }
        if (!chunk.delta().isEmpty() || isFirst) {
          event(out, shapes.chunk(chunk.delta(), isFirst, null).toString());
          isFirst = false;
        }
        if (chunk.isLast()) {
          event(out, shapes.chunk("", false, chunk.finishReason()).toString());
          if (request.includeUsage()) {
            event(out, shapes.usageChunk(chunk.usage()).toString());
          }
          break;
        }
        chunk = serving.next(generation);
      }
      event(out, "[DONE]");
    } catch (IOException gone) {
      // the client went away: the node is told by its next chunk's refusal
      serving.abandon(generation);
    }
  }

  private static void event(OutputStream out, String data) throws IOException {
    out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void write(HttpServletResponse response, HttpStatus status, String body)
      throws IOException {
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
  }

  private static ApiErrors.OpenAiError failed(@Nullable String reason) {
    return ApiErrors.openAiError(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "The serving node could not generate: " + reason,
        null,
        "generation_failed");
  }

  @ExceptionHandler(ModelNotFoundException.class)
  ResponseEntity<ApiErrors.OpenAiError> notFound(ModelNotFoundException e) {
    return error(HttpStatus.NOT_FOUND, e.getMessage(), "model", "model_not_found");
  }

  @ExceptionHandler(NoServingNodeException.class)
  ResponseEntity<ApiErrors.OpenAiError> noNode(NoServingNodeException e) {
    return error(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage(), null, "no_node_serves");
  }

  /** As OpenAI answers a spent quota: 429, type and code {@code insufficient_quota}. */
  @ExceptionHandler(BudgetSpentException.class)
  ResponseEntity<ApiErrors.OpenAiError> budgetSpent(BudgetSpentException e) {
    return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
        .contentType(MediaType.APPLICATION_JSON)
        .body(
            new ApiErrors.OpenAiError(
                new ApiErrors.OpenAiError.Detail(
                    String.valueOf(e.getMessage()),
                    "insufficient_quota",
                    null,
                    "insufficient_quota")));
  }

  @ExceptionHandler(OpenAiRequest.InvalidRequest.class)
  ResponseEntity<ApiErrors.OpenAiError> invalid(OpenAiRequest.InvalidRequest e) {
    return error(HttpStatus.BAD_REQUEST, e.getMessage(), e.param, "invalid_request");
  }

  private static ResponseEntity<ApiErrors.OpenAiError> error(
      HttpStatus status, @Nullable String message, @Nullable String param, String code) {
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .body(ApiErrors.openAiError(status, String.valueOf(message), param, code));
  }
}
