package dev.tuneforge.app.openai;

import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface JobMetadataRepository extends JpaRepository<JobMetadata, UUID> {}
