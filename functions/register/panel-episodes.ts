/** The register's episodes as the joint panel looks them up (request-panel-decision with an `episodeId`, subject 'ending'). */
import type { PanelEpisodes } from '#domain/panels/ports.ts';
import type { RegisterStore } from '#domain/register/ports.ts';
import { parseEpisodeId } from '#domain/register/register.ts';

export function panelEpisodes(store: Pick<RegisterStore, 'getPerson' | 'getEpisode'>): PanelEpisodes {
  return {
    async get(episodeId) {
      const parsed = parseEpisodeId(episodeId);
      if (parsed === null) return null;
      const [person, episode] = await Promise.all([store.getPerson(parsed.personRef), store.getEpisode(parsed.personRef, parsed.n)]);
      if (person === null || episode === null) return null;
      return { episodeId: episode.id, personRef: person.personRef, partnershipId: person.partnershipId };
    },
  };
}
