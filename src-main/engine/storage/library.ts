/** One open library: the database and its repositories. */
import { openDatabase, type Db } from './database.js';
import { DecisionRepository } from './decision-repository.js';
import { DismissalRepository } from './dismissal-repository.js';
import { EmbeddingRepository } from './embedding-repository.js';
import { EmbeddingVersionRepository } from './embedding-version-repository.js';
import { FaceRepository } from './face-repository.js';
import { FolderRepository } from './folder-repository.js';
import { IgnoredFaceRepository } from './ignored-face-repository.js';
import { MembershipMemoryRepository } from './membership-memory-repository.js';
import { PeopleRepository } from './people-repository.js';
import { PhotoRepository } from './photo-repository.js';
import { SeparationRepository } from './separation-repository.js';
import { SettingsRepository } from './settings-repository.js';

export class Library {
  readonly folders: FolderRepository;
  readonly photos: PhotoRepository;
  readonly faces: FaceRepository;
  readonly people: PeopleRepository;
  readonly decisions: DecisionRepository;
  readonly settings: SettingsRepository;
  readonly dismissals: DismissalRepository;
  readonly separations: SeparationRepository;
  readonly memberships: MembershipMemoryRepository;
  readonly embeddings: EmbeddingRepository;
  readonly embeddingVersions: EmbeddingVersionRepository;
  readonly ignored: IgnoredFaceRepository;

  constructor(readonly db: Db) {
    this.folders = new FolderRepository(db);
    this.photos = new PhotoRepository(db);
    this.faces = new FaceRepository(db);
    this.people = new PeopleRepository(db);
    this.decisions = new DecisionRepository(db);
    this.settings = new SettingsRepository(db);
    this.dismissals = new DismissalRepository(db);
    this.separations = new SeparationRepository(db);
    this.memberships = new MembershipMemoryRepository(db);
    this.embeddings = new EmbeddingRepository(db);
    this.embeddingVersions = new EmbeddingVersionRepository(db);
    this.ignored = new IgnoredFaceRepository(db);
  }

  static open(file: string): Library {
    return new Library(openDatabase(file));
  }

  /** Runs fn in one IMMEDIATE transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
