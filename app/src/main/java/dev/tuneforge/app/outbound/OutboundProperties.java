package dev.tuneforge.app.outbound;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What an administrator allows user-configured URLs to reach. By default only https to public
 * addresses; {@code allowedHosts} lists hosts ({@code name} or {@code name:port}) that may be
 * reached although they resolve to a loopback, private or link-local address (an inference server
 * inside the company network, say), and {@code allowHttp} lets plain http through.
 */
@ConfigurationProperties("tuneforge.outbound")
public record OutboundProperties(
    @DefaultValue("false") boolean allowHttp,
    @DefaultValue List<String> allowedHosts,
    @DefaultValue("8MB") org.springframework.util.unit.DataSize maxResponseSize,
    @DefaultValue("10s") Duration connectTimeout) {}
