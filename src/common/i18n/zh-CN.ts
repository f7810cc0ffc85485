import { orgMessages } from '../../modules/org/org.messages.js';
import { peopleMessages } from '../../modules/people/people.messages.js';
import { catalogMessages } from '../../modules/catalog/catalog.messages.js';
import { enrollmentMessages } from '../../modules/enrollment/enrollment.messages.js';
import { attendanceMessages } from '../../modules/enrollment/attendance.messages.js';
import { enrollmentPagesMessages } from '../../modules/enrollment/enrollment-pages.messages.js';
import { titlesMessages } from '../../modules/titles/titles.messages.js';
import { commonMessages } from './common.messages.js';

export const zhCN: Record<string, string> = {
  ...commonMessages['zh-CN'],
  ...orgMessages['zh-CN'],
  ...peopleMessages['zh-CN'],
  ...catalogMessages['zh-CN'],
  ...enrollmentMessages['zh-CN'],
  ...attendanceMessages['zh-CN'],
  ...enrollmentPagesMessages['zh-CN'],
  ...titlesMessages['zh-CN'],
};
