import { orgMessages } from '../../modules/org/org.messages.js';
import { peopleMessages } from '../../modules/people/people.messages.js';
import { commonMessages } from './common.messages.js';

export const en: Record<string, string> = {
  ...commonMessages.en,
  ...orgMessages.en,
  ...peopleMessages.en,
};
