import { orgMessages } from '../../modules/org/org.messages.js';
import { peopleMessages } from '../../modules/people/people.messages.js';
import { commonMessages } from './common.messages.js';

export const zhCN: Record<string, string> = {
  ...commonMessages['zh-CN'],
  ...orgMessages['zh-CN'],
  ...peopleMessages['zh-CN'],
};
