import type { PersonSummaryDto } from '../../src-shared/api.js';
import { useApp } from '../app-context.js';
import { personLabel } from '../logic/format.js';
import { plural } from '../../src-shared/words.js';

export function PersonCard({ person, href }: { person: PersonSummaryDto; href?: string }) {
  const { transport } = useApp();
  return (
    <a
      className={`person-card${person.hidden ? ' hidden-person' : ''}`}
      href={href ?? `#/person/${person.id}`}
      data-person-id={person.id}
    >
      <div className="cover">
        {person.coverFaceId !== null ? (
          <img src={transport.thumbUrl(person.coverFaceId)} alt="" loading="lazy" width={120} height={120} />
        ) : (
          <div className="cover-empty" />
        )}
      </div>
      <div className="person-card-name">{personLabel(person)}</div>
      <div className="person-card-count muted num">
        {plural(person.faceCount, 'face')}
        {person.hidden ? ' · hidden' : ''}
      </div>
    </a>
  );
}
