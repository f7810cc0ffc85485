import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GRADING_METHODS, ITEM_KINDS, LATE_POLICIES, QUESTION_KINDS, SUBMISSION_MODES } from './assessment.entities.js';

/**
 * For the API description only: item bodies are checked as a whole by item-rules (every bad field
 * listed at once, fields that depend on each other included), so no pipe validates this class.
 */
export class SurveyQuestionDoc {
  @ApiProperty({ enum: QUESTION_KINDS, description: 'rating: 1–5; choice: one option; multi: some options; text: up to 2000 characters' }) kind: string;
  @ApiProperty() prompt: string;
  @ApiPropertyOptional({ type: [String], description: 'choice and multi: 2–20 options' }) options?: string[];
  @ApiPropertyOptional({ default: true }) required?: boolean;
}

export class ItemInputDoc {
  @ApiProperty({ enum: ITEM_KINDS, description: 'cannot change later' }) kind: string;
  @ApiProperty({ maxLength: 200 }) title: string;
  @ApiPropertyOptional({ maxLength: 10000 }) instructions?: string;
  @ApiPropertyOptional({ description: 'order in the offering; default: last' }) position?: number;
  @ApiPropertyOptional({ enum: SUBMISSION_MODES, isArray: true, description: 'assignment: one or both' }) submissionModes?: string[];
  @ApiPropertyOptional({ example: '2026-12-03T17:00:00+08:00' }) dueAt?: string | null;
  @ApiPropertyOptional({ enum: LATE_POLICIES, default: 'accept' }) latePolicy?: string;
  @ApiPropertyOptional({ description: 'required with latePolicy penalty: 1–100' }) latePenaltyPercent?: number;
  @ApiPropertyOptional({ type: [String], description: 'sniffed content types, e.g. application/pdf; default PDF, JPEG and PNG' }) allowedFileTypes?: string[];
  @ApiPropertyOptional({ description: 'per file; at most the server upload limit' }) maxFileBytes?: number | null;
  @ApiPropertyOptional({ default: 5, minimum: 1, maximum: 20 }) maxFiles?: number;
  @ApiPropertyOptional({ enum: GRADING_METHODS, description: 'survey: none; others: rubric, guide, points or pass_fail' }) gradingMethod?: string;
  @ApiPropertyOptional({ description: 'rubric or guide: a rubric of the district with that method (its maximum is copied)' }) rubricId?: string;
  @ApiPropertyOptional({ description: 'points: required' }) maxPoints?: number;
  @ApiPropertyOptional({ description: 'the pass mark, at most maxPoints' }) passPoints?: number | null;
  @ApiPropertyOptional({ default: false }) secondMarking?: boolean;
  @ApiPropertyOptional({ type: [SurveyQuestionDoc], description: 'survey: ids q1..qn are given in order' }) questions?: SurveyQuestionDoc[];
}

export class ItemChangeDoc extends ItemInputDoc {
  @ApiProperty({ description: 'the version you read; a stale one answers 409' }) version: number;
}

export class SubmissionTextDoc {
  @ApiPropertyOptional({ maxLength: 100000 }) body?: string;
}

export class SurveyResponseDoc {
  @ApiProperty({ example: { q1: 4, q2: '很有帮助', q3: ['游戏观察', '家园共育'], q4: '希望多一些案例' } }) answers: Record<string, unknown>;
}
