import { useUser } from '@/lib/auth';
import { MyGroupsSection } from './my-groups-section';
import { MyProgramsSection } from './my-programs-section';

export function HomePage() {
  const user = useUser();

  return (
    <div className="stack">
      <h1>Welcome, {user.firstName}</h1>
      <div className="grid">
        <MyGroupsSection />
        <MyProgramsSection />
      </div>
    </div>
  );
}
