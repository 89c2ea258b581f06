package dev.tuneforge.app.node;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates node API calls by their bearer credential, in the security context strategy of the
 * chain it belongs to (not the JVM-wide static one, which another application context in the same
 * JVM may have replaced).
 */
class NodeCredentialFilter extends OncePerRequestFilter {
  private final NodeService nodes;
  private final SecurityContextHolderStrategy contexts;

  NodeCredentialFilter(NodeService nodes, SecurityContextHolderStrategy contexts) {
    this.nodes = nodes;
    this.contexts = contexts;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader("Authorization");
    if (header != null && header.startsWith("Bearer ")) {
      nodes
          .authenticate(header.substring("Bearer ".length()).strip())
          .ifPresent(
              node -> {
                var auth =
                    new UsernamePasswordAuthenticationToken(
                        new NodePrincipal(node.getId(), node.getName()),
                        null,
                        List.of(new SimpleGrantedAuthority("ROLE_NODE")));
                contexts.getContext().setAuthentication(auth);
              });
    }
    chain.doFilter(request, response);
  }
}
