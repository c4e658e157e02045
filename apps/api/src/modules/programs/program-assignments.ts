import type { Database } from '../../db/database.ts';
import { emit } from '../../db/outbox.ts';
import type { Tx } from '../../db/sql.ts';
import { audit } from '../../lib/audit.ts';
import { rehearse } from '../../lib/dry-run.ts';
import { notFound } from '../../lib/errors.ts';
import type { Principal } from '../../lib/principal.ts';
import { requireAssignment } from '../../policy/index.ts';
import { learnersOfSubtree, previewEnrollments, reconcileEnrollments } from '../enrollments/enrollment-engine.ts';
import { enrollForNewAssignment } from '../enrollments/new-assignment.ts';

/** How many newly enrolled learners an assignment (or its dry run) lists by name; the count is always exact. */
const ENROLLED_SAMPLE = 1000;

/** Assigning a program to a group (which enrolls the subtree's learners) and removing the assignment. */
export function programAssignments(prisma: Database['prisma']) {
  return {
    async assign(principal: Principal, programId: string, groupRef: string, dryRun: boolean) {
      const { groupId } = await requireAssignment(prisma, principal, programId, groupRef, 'assign');
      const scope = { users: learnersOfSubtree(groupId), programId };
      if (dryRun) {
        // The preview counts the assignment as if it existed: run it in a transaction that is rolled back.
        const preview = await rehearse(prisma, async (tx) => {
          await tx.$executeRaw`INSERT INTO program_assignments (program_id, group_id) VALUES (${programId}::uuid, ${groupId}::uuid) ON CONFLICT DO NOTHING`;
          return previewEnrollments(tx, scope, ENROLLED_SAMPLE);
        });
        return {
          programId,
          groupId,
          dryRun: true,
          assigned: false,
          enrolledCount: preview.count,
          enrolled: preview.users,
        };
      }
      return prisma.$transaction(async (tx) => {
        const [inserted] = await tx.$queryRaw<{ id: string }[]>`
          INSERT INTO program_assignments (program_id, group_id, assigned_by_id)
          VALUES (${programId}::uuid, ${groupId}::uuid, ${principal.type === 'user' ? principal.id : null}::uuid)
          ON CONFLICT (program_id, group_id) DO NOTHING
          RETURNING id::text`;
        // A new assignment only adds its own paths; an existing one is reconciled in full (a repair, as before).
        const result = inserted
          ? await enrollForNewAssignment(tx, { id: inserted.id, programId, groupId }, ENROLLED_SAMPLE)
          : await reconcileEnrollments(tx, scope, ENROLLED_SAMPLE);
        if (inserted) {
          await emit(tx, 'program.assigned', { programId, groupId });
          await audit(tx, principal, 'program.assign', { type: 'program', id: programId }, { groupId });
        }
        return {
          programId,
          groupId,
          dryRun: false,
          assigned: true,
          enrolledCount: result.enrolled,
          enrolled: result.sample ?? [],
        };
      });
    },

    /** Removes an assignment; `dryRun` answers how many unstarted enrollments it would withdraw. */
    async unassign(principal: Principal, programId: string, groupRef: string, dryRun = false) {
      const { groupId } = await requireAssignment(prisma, principal, programId, groupRef, 'unassign');
      const change = async (tx: Tx) => {
        const deleted = await tx.programAssignment.deleteMany({ where: { programId, groupId } });
        if (deleted.count === 0) throw notFound('not_found', 'This assignment');
        const { withdrawn } = await reconcileEnrollments(tx, { users: learnersOfSubtree(groupId), programId });
        await emit(tx, 'program.unassigned', { programId, groupId });
        await audit(tx, principal, 'program.unassign', { type: 'program', id: programId }, { groupId });
        return withdrawn;
      };
      if (!dryRun) return void (await prisma.$transaction(change));
      return { dryRun: true as const, programId, groupId, withdrawnCount: await rehearse(prisma, change) };
    },
  };
}
