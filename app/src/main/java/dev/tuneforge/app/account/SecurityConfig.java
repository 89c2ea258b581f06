package dev.tuneforge.app.account;

import static com.vaadin.flow.spring.security.VaadinSecurityConfigurer.vaadin;

import com.vaadin.flow.spring.security.RequestUtil;
import com.vaadin.flow.spring.security.VaadinAwareSecurityContextHolderStrategy;
import dev.tuneforge.app.account.ui.LoginView;
import java.net.URI;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * The browser's security: Vaadin's rules with our login view, form login against local accounts,
 * single sign-on through an OIDC provider where configured ({@link SsoSecurity}), a check of the
 * signed-in user on every request ({@link PrincipalRecheckFilter}), and the headers that keep pages
 * from being framed, sniffed, or made to load or send anything from elsewhere (HSTS on https
 * requests). The node API has its own chain in the node feature, ordered before this one.
 */
@Configuration
@EnableMethodSecurity
class SecurityConfig {
  private final String storageOrigins;

  SecurityConfig(
      @Value("${tuneforge.storage.endpoint:}") String storageEndpoint,
      @Value("${tuneforge.storage.public-endpoint:}") String storagePublicEndpoint) {
    this.storageOrigins =
        Stream.of(storagePublicEndpoint, storageEndpoint)
            .map(SecurityConfig::origin)
            .filter(origin -> !origin.isEmpty())
            .distinct()
            .collect(Collectors.joining(" "));
  }

  /**
   * Vaadin's client needs inline styles and evaluates the scripts the server sends; browsers put
   * uploads straight into object storage, so its origin may be connected to.
   */
  String contentSecurityPolicy() {
    return "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval';"
        + " style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:;"
        + " connect-src 'self'"
        + (storageOrigins.isEmpty() ? "" : " " + storageOrigins)
        + "; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'";
  }

  private static String origin(String url) {
    try {
      URI uri = URI.create(url.strip());
      return uri.getScheme() == null || uri.getRawAuthority() == null
          ? ""
          : uri.getScheme() + "://" + uri.getRawAuthority();
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  /**
   * The one security-context strategy of the JVM: every chain's filters, the API key filters and
   * {@code SecurityContextHolder} (which {@code TenantContext} and {@code CurrentUser} read) use
   * this instance. Vaadin would make a new one per application context and install the newest as
   * the holder's, so a second context in one JVM (tests) would leave the older context's filters
   * writing where the holder does not read.
   */
  private static final SecurityContextHolderStrategy CONTEXTS =
      new VaadinAwareSecurityContextHolderStrategy();

  @Bean
  static SecurityContextHolderStrategy securityContextHolderStrategy() {
    return CONTEXTS;
  }

  @Bean
  PasswordEncoder passwordEncoder() {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }

  @Bean
  @Order(10)
  SecurityFilterChain browserSecurity(
      HttpSecurity http,
      RequestUtil requestUtil,
      SignInThrottle signInThrottle,
      AccountService accounts,
      SsoSecurity sso)
      throws Exception {
    // Plain MVC endpoints beside the Vaadin views; Vaadin's rules deny anything else.
    http.authorizeHttpRequests(
        auth ->
            auth.requestMatchers(
                    "/finetunes/*/adapter.zip",
                    "/finetunes/*/model.zip",
                    "/finetunes/*/merged.zip",
                    "/finetunes/*/model-f16.gguf",
                    "/finetunes/*/model-q8_0.gguf",
                    "/finetunes/*/model-q4_k_m.gguf",
                    "/finetunes/*/Modelfile",
                    "/audit/export.csv")
                .authenticated());
    // Written before the request goes on, so a response Vaadin writes and commits itself (the
    // sign-in page's first HTML) carries them too, and Vaadin keeps our X-Frame-Options.
    http.headers(
        headers -> {
          headers.addObjectPostProcessor(
              new ObjectPostProcessor<HeaderWriterFilter>() {
                @Override
                public <O extends HeaderWriterFilter> O postProcess(O filter) {
                  filter.setShouldWriteHeadersEagerly(true);
                  return filter;
                }
              });
          headers
              .contentSecurityPolicy(csp -> csp.policyDirectives(contentSecurityPolicy()))
              .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN))
              .httpStrictTransportSecurity(
                  hsts -> hsts.includeSubDomains(true).maxAgeInSeconds(365L * 24 * 3600));
        });
    // Vaadin's own CSRF setup exempts the sign-in POST; ours exempts only Vaadin's internal
    // requests (they carry Vaadin's own token), so a sign-in needs the page's token.
    // The provider's back-channel logout is a signed token posted server to server.
    http.csrf(
        csrf ->
            csrf.ignoringRequestMatchers(requestUtil::isFrameworkInternalRequest)
                .ignoringRequestMatchers(SsoSecurity.BACK_CHANNEL_PATH));
    // A throttled sign-in is refused after the CSRF check and before its password is looked at.
    http.addFilterBefore(
        new SignInThrottleFilter(signInThrottle), UsernamePasswordAuthenticationFilter.class);
    // Disabled, deleted and changed users are noticed on their next request.
    http.addFilterBefore(
        new PrincipalRecheckFilter(accounts, new SsoRecheck(sso)), AuthorizationFilter.class);
    sso.configure(http);
    return http.with(
            vaadin(),
            vaadin ->
                vaadin
                    .loginView(LoginView.class)
                    .logoutSuccessHandler(sso.logoutSuccessHandler())
                    .enableCsrfConfiguration(false))
        .build();
  }
}
