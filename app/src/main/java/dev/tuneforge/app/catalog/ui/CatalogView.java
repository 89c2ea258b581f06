package dev.tuneforge.app.catalog.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.catalog.ModelImport;
import dev.tuneforge.app.catalog.ModelUploads;
import dev.tuneforge.modelformat.folder.ModelRejectedException;
import jakarta.annotation.security.RolesAllowed;
import org.springframework.security.access.AccessDeniedException;

/**
 * The base models the signed-in user may see: platform models and the team's own. Admins register a
 * model folder already in the bucket here; a row opens the model's detail.
 */
@Route("models")
@PageTitle("Base models · Tuneforge")
@Menu(order = 2.5, title = "Base models")
@RolesAllowed({"PLATFORM_ADMIN", "TENANT_ADMIN", "MEMBER"})
public class CatalogView extends VerticalLayout {
  private final CatalogService catalog;
  private final Grid<BaseModel> grid = new Grid<>();
  private final Paragraph outcome = new Paragraph();
  private final TextField name = new TextField("Hugging Face id");
  private final TextField revision = new TextField("Revision (optional)");
  private final TextField displayName = new TextField("Display name (optional)");

  public CatalogView(CatalogService catalog, ModelUploads uploads) {
    this.catalog = catalog;
    grid.setId("models-grid");
    grid.addColumn(BaseModel::getName).setHeader("Hugging Face id").setAutoWidth(true);
    grid.addColumn(m -> m.getDisplayName() == null ? "" : m.getDisplayName())
        .setHeader("Display name");
    grid.addColumn(BaseModel::getArchitecture).setHeader("Architecture").setAutoWidth(true);
    grid.addColumn(m -> Sizes.parameters(m.getParameters())).setHeader("Parameters");
    grid.addColumn(m -> String.join(", ", m.getDtypes())).setHeader("Dtype");
    grid.addColumn(m -> m.isPlatformModel() ? "Platform" : "Your team").setHeader("Owner");
    grid.addColumn(m -> m.isRetired() ? "Retired" : "").setHeader("Retired");
    grid.addItemClickListener(
        e ->
            getUI()
                .ifPresent(
                    ui -> ui.navigate(ModelDetailView.class, e.getItem().getId().toString())));
    grid.setAllRowsVisible(true);
    add(new H2("Base models"), grid);
    boolean admin = CurrentUser.get().map(u -> u.role() != Role.MEMBER).orElse(false);
    if (admin) {
      add(importForm(uploads));
    }
    refresh();
  }

  private VerticalLayout importForm(ModelUploads uploads) {
    name.setId("import-name");
    name.setPlaceholder("Qwen/Qwen3-0.6B");
    revision.setId("import-revision");
    displayName.setId("import-display-name");
    TextField prefix = new TextField("Folder in the bucket");
    prefix.setId("import-prefix");
    prefix.setWidth("28em");
    prefix.setHelperText(
        CurrentUser.get().map(u -> u.role() == Role.PLATFORM_ADMIN).orElse(false)
            ? "Any folder outside tenants/, filled with mc mirror or aws s3 sync"
            : "A folder inside your team's area, tenants/<your team's id>/…");
    outcome.setId("import-outcome");
    Button register =
        new Button(
            "Register",
            e -> {
              try {
                registered(catalog.registerPrefix(request(), prefix.getValue()));
              } catch (ModelRejectedException rejected) {
                outcome.setText("Refused: " + rejected.file() + ": " + rejected.reason());
              } catch (IllegalArgumentException | AccessDeniedException refused) {
                outcome.setText("Refused: " + refused.getMessage());
              }
            });
    register.setId("import-register");
    register.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    ModelFolderUpload upload =
        new ModelFolderUpload(uploads, this::request, this::registered, outcome::setText);
    return new VerticalLayout(
        new H3("Import a model"),
        new FormLayout(name, revision, displayName),
        new Paragraph(
            "Register a folder already in the bucket (nothing is copied), or upload a Hugging Face"
                + " model folder from this computer straight to object storage."),
        new HorizontalLayout(prefix, register),
        upload,
        outcome);
  }

  private ModelImport request() {
    return new ModelImport(name.getValue(), revision.getValue(), displayName.getValue(), null);
  }

  private void registered(BaseModel model) {
    outcome.setText("Registered " + model.getLabel());
    refresh();
  }

  private void refresh() {
    grid.setItems(catalog.list());
  }
}
