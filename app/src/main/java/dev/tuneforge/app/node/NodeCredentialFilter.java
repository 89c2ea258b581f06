package dev.tuneforge.app.node;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** Authenticates node API calls by their bearer credential. */
class NodeCredentialFilter extends OncePerRequestFilter {
  private final NodeService nodes;

  NodeCredentialFilter(NodeService nodes) {
    this.nodes = nodes;
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
                SecurityContextHolder.getContext().setAuthentication(auth);
              });
    }
    chain.doFilter(request, response);
  }
}
